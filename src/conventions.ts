// The outside world's attribute names, spelled as its semantic conventions spell them: OpenInference and
// OpenTelemetry GenAI keys, annotation fields, span and annotator kinds, thumbs labels. prefloop's own names
// (tables, paths, defaults, metrics) are in names.ts.

/** OpenInference semantic-convention keys (https://github.com/Arize-ai/openinference). */
export const OI = {
  spanKind: 'openinference.span.kind',
  inputValue: 'input.value',
  inputMimeType: 'input.mime_type',
  outputValue: 'output.value',
  outputMimeType: 'output.mime_type',
  inputMessages: 'llm.input_messages',
  outputMessages: 'llm.output_messages',
  messageRole: 'message.role',
  messageContent: 'message.content',
  messageContents: 'message.contents',
  contentText: 'message_content.text',
  contentImage: 'message_content.image',
  prompts: 'llm.prompts',
  choices: 'llm.choices',
  invocationParameters: 'llm.invocation_parameters',
  retrievalDocuments: 'retrieval.documents',
  documentContent: 'document.content',
  documentScore: 'document.score',
  documentId: 'document.id',
  sessionId: 'session.id',
  userId: 'user.id',
  modelName: 'llm.model_name',
  provider: 'llm.provider',
  tokenCountPrompt: 'llm.token_count.prompt',
  tokenCountCompletion: 'llm.token_count.completion',
  tokenCountTotal: 'llm.token_count.total',
  metadata: 'metadata',
  tags: 'tag.tags',
  promptTemplate: 'llm.prompt_template.template',
  promptTemplateVersion: 'llm.prompt_template.version',
  promptTemplateVariables: 'llm.prompt_template.variables',
  embeddings: 'embedding.embeddings',
  embeddingVector: 'embedding.vector',
  embeddingText: 'embedding.text',
  annotations: 'annotations',
  evaluations: 'evaluations',
} as const;

/** Fields of one OpenInference annotation / evaluation entry: `<prefix>.{i}.<entry>.<field>`. */
export const ANNOTATION_FIELDS = [
  'name',
  'score',
  'label',
  'explanation',
  'annotator_kind',
  'identifier',
  'metadata',
] as const;
export type AnnotationField = (typeof ANNOTATION_FIELDS)[number];

/** Key of one annotation field: annotationKey('annotations', 0, 'score') = 'annotations.0.annotation.score'. */
export function annotationKey(
  prefix: 'annotations' | 'evaluations',
  index: number,
  field: AnnotationField,
): string {
  const entry = prefix === 'annotations' ? 'annotation' : 'evaluation';
  return `${prefix}.${index}.${entry}.${field}`;
}

/** OpenInference span kinds; only LLM spans become pair candidates. */
export const OI_SPAN_KINDS = [
  'LLM',
  'CHAIN',
  'RETRIEVER',
  'RERANKER',
  'EMBEDDING',
  'TOOL',
  'AGENT',
  'GUARDRAIL',
  'EVALUATOR',
  'PROMPT',
] as const;

/** OpenTelemetry GenAI semantic-convention keys. */
export const GENAI = {
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  operationName: 'gen_ai.operation.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  conversationId: 'gen_ai.conversation.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  prompt: 'gen_ai.prompt',
  completion: 'gen_ai.completion',
  evaluationEvent: 'gen_ai.evaluation.result',
  evaluationName: 'gen_ai.evaluation.name',
  evaluationScoreValue: 'gen_ai.evaluation.score.value',
  evaluationScoreLabel: 'gen_ai.evaluation.score.label',
  evaluationExplanation: 'gen_ai.evaluation.explanation',
  responseId: 'gen_ai.response.id',
  /** The output type the request asked for: `text`, `json`, `image`, `speech`. */
  outputType: 'gen_ai.output.type',
} as const;

/** Annotator kinds; HUMAN results are feedback, CODE and LLM are evaluation results. */
export const ANNOTATOR_KINDS = ['HUMAN', 'LLM', 'CODE'] as const;
export type AnnotatorKind = (typeof ANNOTATOR_KINDS)[number];

/** Labels that mean thumbs up / thumbs down on a feedback annotation. */
export const THUMBS_UP_LABELS = ['thumbs_up', 'up', 'positive', 'good'] as const;
export const THUMBS_DOWN_LABELS = ['thumbs_down', 'down', 'negative', 'bad'] as const;

/** Where a feedback row came from. */
export const FEEDBACK_ORIGINS = ['span_attribute', 'span_event', 'span_link', 'api'] as const;
export type FeedbackOrigin = (typeof FEEDBACK_ORIGINS)[number];
