// Shared test data and assertions.

import assert from 'node:assert/strict';
import OpenAI from 'openai';

// Distinctive secrets. Each has a core that must never show up in a log or an answer, whatever
// masking (prefix, last four characters) the gateway applies to the rest.
export const PROVIDER_KEY_CORE = 'Qz7UPSTREAMsecretKx2Wv';
export const PROVIDER_KEY = `sk-prov-${PROVIDER_KEY_CORE}-end1`;
export const GATEWAY_KEY_CORE = 'Jm4GATEWAYsecretPl9Tn';
export const GATEWAY_KEY = `sy-team-a-${GATEWAY_KEY_CORE}-end2`;
export const GATEWAY_KEY_B_CORE = 'Rb8GATEWAYsecondHs3Yq';
export const GATEWAY_KEY_B = `sy-team-b-${GATEWAY_KEY_B_CORE}-end3`;
export const WRONG_KEY_CORE = 'Xc5WRONGkeyNeverValidGd6';
export const WRONG_KEY = `sy-wrong-${WRONG_KEY_CORE}-end4`;

export const WEATHER_TOOL = Object.freeze({
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
});

// An OpenAI SDK client for the gateway (or the mock): no SDK retries, a bounded timeout.
export function openaiClient(baseURL, apiKey = GATEWAY_KEY, options = {}) {
  return new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 20_000, ...options });
}

// Drains an SDK chat stream: { chunks, content, finishReason, usageChunks, toolArguments }.
export async function collectStream(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  let content = '';
  let finishReason = null;
  const usageChunks = [];
  for (const chunk of chunks) {
    if (Array.isArray(chunk.choices) && chunk.choices.length === 0) usageChunks.push(chunk);
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      if (typeof choice.delta?.content === 'string') content += choice.delta.content;
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return { chunks, content, finishReason, usageChunks };
}

// {"error":{"message","type","param","code"}}: all four keys, a non-empty message.
export function assertOpenAIErrorShape(body, what = 'error body') {
  assert.ok(body && typeof body === 'object', `${what} is a JSON object`);
  assert.ok(body.error && typeof body.error === 'object', `${what} has an "error" object: ${JSON.stringify(body)}`);
  const { error } = body;
  for (const key of ['message', 'type', 'param', 'code']) {
    assert.ok(key in error, `${what}.error has "${key}": ${JSON.stringify(body)}`);
  }
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'error.message is not empty');
  assert.equal(typeof error.type, 'string');
  assert.ok(error.param === null || typeof error.param === 'string', 'error.param is a string or null');
  assert.ok(error.code === null || typeof error.code === 'string' || typeof error.code === 'number', 'error.code is a string, number or null');
  return error;
}

// Fetches and checks an error answer: status, JSON content type, OpenAI shape. Returns the error.
export async function expectOpenAIError(responsePromise, status) {
  const res = await responsePromise;
  const text = await res.text();
  assert.equal(res.status, status, `expected HTTP ${status}, got ${res.status}: ${text}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/, 'errors are JSON');
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`error body is not JSON: ${text}`);
  }
  return { error: assertOpenAIErrorShape(body), headers: res.headers };
}

// Runs `fn` and returns the error it throws (fails if it does not throw).
export async function caught(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    return error;
  }
  assert.fail('expected an error, but the call succeeded');
}
