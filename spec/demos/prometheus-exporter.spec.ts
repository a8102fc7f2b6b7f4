import { main } from '../../demos/prometheus-exporter.js';
import { parseExposition, promtoolCheck, valueOf } from '../helpers/promText.js';

describe('demos/prometheus-exporter', () => {
  it('serves /metrics over node:http; each scrape reads the current snapshots', async () => {
    const { url, scrapes, contentType } = await main();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const [first, second] = scrapes.map(parseExposition);
    const success = { service: 'demo', recorder: 'document_storage', outcome: 'success' };
    expect(valueOf(first!, 'document_storage_save_attempts_total', success)).toBe(3);
    expect(valueOf(second!, 'document_storage_save_attempts_total', success)).toBe(6);
    expect(valueOf(second!, 'document_storage_save_duration_seconds_count')).toBe(8);
    expect(promtoolCheck(scrapes[1]!)).toEqual({ status: 0, output: '' });
  });
});
