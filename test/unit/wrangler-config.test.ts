import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES, deadLetterQueue } from '../../functions/jobs/queues';
import { CONSUMER_DEFAULTS, loadWranglerConfig, parseWranglerConfig } from '../../functions/node/wrangler-config';

describe('loadWranglerConfig', () => {
  it('reads the real wrangler.toml: every queue has a consumer with a dead-letter queue, and the crons', async () => {
    const config = await loadWranglerConfig();
    for (const queue of QUEUE_NAMES) {
      expect(config.consumers[queue]?.deadLetterQueue).toBe(deadLetterQueue(queue));
    }
    expect(config.consumers['campaign-send']).toEqual({
      maxBatchSize: 100,
      maxBatchTimeoutSeconds: 5,
      maxRetries: 3,
      retryDelaySeconds: 30,
      deadLetterQueue: 'campaign-send-dlq',
    });
    expect(config.crons).toEqual(['0 3 * * *', '*/5 * * * *']);
  });
});

describe('parseWranglerConfig', () => {
  it("gives a consumer that sets only its queue Cloudflare's defaults", () => {
    const config = parseWranglerConfig(`
      [[queues.consumers]]
      queue = "events"
    `);
    expect(CONSUMER_DEFAULTS).toEqual({ maxBatchSize: 10, maxBatchTimeoutSeconds: 5, maxRetries: 3, retryDelaySeconds: 0 });
    expect(config.consumers.events).toEqual(CONSUMER_DEFAULTS);
    expect(config.consumers.events?.deadLetterQueue).toBeUndefined();
  });

  it('reads a file with no queues and no triggers as none of either', () => {
    expect(parseWranglerConfig('name = "relate"')).toEqual({ consumers: {}, crons: [] });
  });

  it('rejects a batch size over the Cloudflare limit, naming the field', () => {
    const toml = `
      [[queues.consumers]]
      queue = "events"
      max_batch_size = 500
    `;
    expect(() => parseWranglerConfig(toml)).toThrow(/Invalid wrangler\.toml[\s\S]*max_batch_size/);
  });

  it('rejects a consumer without a queue name', () => {
    expect(() => parseWranglerConfig('[[queues.consumers]]\nmax_retries = 2')).toThrow(/queue/);
  });

  it('rejects two consumers for one queue and a queue that dead-letters into itself', () => {
    const toml = `
      [[queues.consumers]]
      queue = "events"
      [[queues.consumers]]
      queue = "events"
      dead_letter_queue = "events"
    `;
    expect(() => parseWranglerConfig(toml)).toThrow(/more than one consumer[\s\S]*its own dead-letter queue/);
  });

  it('rejects a cron Cloudflare would not accept or would read differently', () => {
    expect(() => parseWranglerConfig('[triggers]\ncrons = ["0 3 * *"]')).toThrow(/triggers\.crons\[0\]/);
    expect(() => parseWranglerConfig('[triggers]\ncrons = ["0 0 0 * * *"]')).toThrow(/cron/);
    // Cloudflare's weekday 1 is Sunday, croner's is Monday.
    expect(() => parseWranglerConfig('[triggers]\ncrons = ["0 17 * * 1"]')).toThrow(/cron/);
    expect(parseWranglerConfig('[triggers]\ncrons = ["10 7 * * MON-FRI"]').crons).toEqual(['10 7 * * MON-FRI']);
  });

  it('reports a TOML syntax error as such', () => {
    expect(() => parseWranglerConfig('[[queues.consumers]\nqueue = ')).toThrow(/not valid TOML/);
  });
});
