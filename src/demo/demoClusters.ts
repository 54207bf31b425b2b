// The demo's Path B: a few failing answers of two failure modes (benign questions refused; questions
// deflected with "let me get back to you"), clustered into named failure modes, and one person's fix for
// the refusals posted to the fixes API, re-scored by the rubric file and paired.
import { ClusterStore } from '../cluster/ClusterStore.js';
import { runCluster } from '../cluster/runCluster.js';
import type { RunClusterResult } from '../cluster/runCluster.js';
import { PATHS } from '../names.js';
import type { Store } from '../sink/Store.js';

/** Benign questions the app refused, with the answer it should have given. */
const REFUSED: ReadonlyArray<{ topic: string; question: string; fix: string }> = [
  {
    topic: 'account email',
    question: 'How do I change the email address on my account?',
    fix: 'Open Settings, choose Account, type the new email address and confirm the change from the message we send to it.',
  },
  {
    topic: 'password',
    question: 'How do I reset my password?',
    fix: 'On the sign-in page choose "Forgot password", enter your email address and follow the link we send to reset your password.',
  },
  {
    topic: 'invoice',
    question: 'Can I export my invoices as PDF files?',
    fix: 'Yes: open Billing, select the invoices and choose Export as PDF to download the invoice files.',
  },
  {
    topic: 'subscription',
    question: 'How do I cancel my subscription?',
    fix: 'Open Billing, choose your subscription plan and press Cancel subscription; it stays active until the period ends.',
  },
  {
    topic: 'order history',
    question: 'Where can I see my order history?',
    fix: 'Your order history is under Account, then Orders: every order with its date, items and status.',
  },
  {
    topic: 'team member',
    question: 'How do I add a second user to my team?',
    fix: 'Open Team, press Invite user, enter the second user\u2019s email address and pick a role; they join the team once they accept.',
  },
];

/** Questions the app deflected instead of answering. */
const DEFLECTED: readonly string[] = [
  'What payment methods do you accept?',
  'How long does shipping to Canada take?',
  'Is there a student discount?',
  'Which browsers does the web app support?',
  'Can I change the delivery address after ordering?',
  'Do you offer phone support on weekends?',
];
const OPENERS = ['Great question!', 'Good question!', 'Thanks for asking!', 'Happy to look into it!'];

/** Sends the failing answers as LLM spans; returns the refusals' span ids with their fixes. */
export function traceFailures(
  answer: (question: string, response: string) => { spanId: string },
): Map<string, string> {
  const fixes = new Map<string, string>();
  for (const r of REFUSED)
    fixes.set(answer(r.question, `I'm sorry, but I can't help with ${r.topic} questions.`).spanId, r.fix);
  DEFLECTED.forEach((q, k) =>
    answer(q, `${OPENERS[k % OPENERS.length]} Let me check with the team and get back to you later.`),
  );
  return fixes;
}

/** How many failing answers traceFailures sends. */
export const DEMO_FAILURES = REFUSED.length + DEFLECTED.length;

/** Clusters the failing spans of the last hour and posts a fix for the refusals' exemplar. */
export async function clusterDemo(
  store: Store,
  url: string,
  fixes: ReadonlyMap<string, string>,
  log: (line: string) => void,
): Promise<RunClusterResult> {
  const now = new Date();
  const result = await runCluster(new ClusterStore(store), {
    since: new Date(now.getTime() - 3_600_000),
    until: new Date(now.getTime() + 1000),
    minClusterSize: 4,
    now,
  });
  log(
    `   ${result.failing} failing LLM spans (a rubric failed or a thumbs-down) → ${result.clusters.length} clusters (lexical embedder, HDBSCAN):`,
  );
  for (const c of result.clusters) log(`     ${c.id}  ${String(c.members.length).padStart(2)}  ${c.name}`);
  const refusals = result.clusters.find((c) => fixes.has(c.exemplar.spanId));
  if (!refusals) return result;
  const res = await fetch(`${url}${PATHS.clusterFixes}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      cluster_id: refusals.id,
      exemplar_span_id: refusals.exemplar.spanId,
      fix_response: fixes.get(refusals.exemplar.spanId),
      fixed_by: 'demo-reviewer',
    }),
  });
  const outcome = (await res.json()) as { status?: string; required_rubrics?: string[]; error?: string };
  if (!res.ok) throw new Error(`demo: POST ${PATHS.clusterFixes} answered ${res.status}: ${outcome.error}`);
  log(
    `   posted a fix for ${refusals.id} to ${PATHS.clusterFixes}: re-scored, ${outcome.status} ` +
      `(${(outcome.required_rubrics ?? []).join(', ')} now pass) → a 'cluster' pair (fix chosen, exemplar rejected)`,
  );
  return result;
}
