// The OpenAI-compatible embedder against a real local server: batches in order, bounded concurrency,
// retries of 5xx, errors naming the endpoint, mixed dimensions refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAiEmbedder } from '../../../src/cluster/embed/OpenAiEmbedder.js';
import { startEmbeddingsServer } from '../../helpers/embeddingsServer.js';

test('batches keep the input order, and no more than `concurrency` requests run at once', async () => {
  const server = await startEmbeddingsServer((t) => [t.length, 1]);
  try {
    const texts = Array.from({ length: 23 }, (_, i) => 'x'.repeat(i + 1));
    const embedder = new OpenAiEmbedder({
      baseUrl: server.baseUrl,
      model: 'm',
      batchSize: 5,
      concurrency: 2,
    });
    const vectors = await embedder.embed(texts);
    assert.deepEqual(
      vectors.map((v) => v[0]),
      texts.map((t) => t.length),
    );
    assert.equal(server.requests.length, 5);
    assert.ok(server.maxInFlight <= 2);
  } finally {
    await server.close();
  }
});

test('a 503 is retried; a 401 is not, and the error names the endpoint and the key', async () => {
  const flaky = await startEmbeddingsServer(
    () => [1],
    (i) => (i === 0 ? 503 : 200),
  );
  const denied = await startEmbeddingsServer(
    () => [1],
    () => 401,
  );
  try {
    const ok = await new OpenAiEmbedder({ baseUrl: flaky.baseUrl, model: 'm', backoffMs: 1 }).embed(['a']);
    assert.equal(ok.length, 1);
    assert.equal(flaky.requests.length, 2);
    await assert.rejects(
      new OpenAiEmbedder({ baseUrl: denied.baseUrl, model: 'm', backoffMs: 1 }).embed(['a']),
      new RegExp(`embeddings ${denied.baseUrl}/embeddings answered HTTP 401.*PREFLOOP_EMBED_API_KEY`),
    );
    assert.equal(denied.requests.length, 1);
  } finally {
    await flaky.close();
    await denied.close();
  }
});

test('vectors of mixed dimensions are refused', async () => {
  const server = await startEmbeddingsServer((t) => (t === 'short' ? [1] : [1, 2]));
  try {
    const embedder = new OpenAiEmbedder({ baseUrl: server.baseUrl, model: 'm', batchSize: 1 });
    await assert.rejects(embedder.embed(['short', 'long']), /mixed dimensions \(1, 2\)/);
  } finally {
    await server.close();
  }
});

test('an unreachable endpoint: retried, then an error naming it', async () => {
  const embedder = new OpenAiEmbedder({
    baseUrl: 'http://127.0.0.1:9/v1',
    model: 'm',
    maxRetries: 1,
    backoffMs: 1,
  });
  await assert.rejects(
    embedder.embed(['a']),
    /embeddings http:\/\/127\.0\.0\.1:9\/v1\/embeddings unreachable.*after 2 attempts/,
  );
});
