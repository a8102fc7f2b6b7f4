/**
 * The dashboard page's entry (bundled with uPlot and the library's browser build by
 * scripts/build-page.mjs): connects to the event stream next to the page and renders it.
 */
import { snapshotsFromEventSource } from '../../index.js';
import { Dashboard } from './Dashboard.js';
import { createPageRecorder } from './pageRecorder.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

function start(): void {
  const pageRecorder = createPageRecorder();
  const dashboard = new Dashboard(
    {
      recorders: byId('recorders'),
      pageMetrics: byId('page-metrics'),
      connection: byId('connection'),
      summary: byId('summary'),
      pause: byId<HTMLButtonElement>('pause'),
      windows: [...document.querySelectorAll<HTMLButtonElement>('[data-window]')],
      empty: byId('empty'),
    },
    pageRecorder,
  );
  const stream = snapshotsFromEventSource(new URL('events', window.location.href).href, {
    initialDelayMs: 500,
    maxDelayMs: 5_000,
  });
  stream.connection$.subscribe((status) => dashboard.setConnection(status));
  stream.subscribe((update) => dashboard.applyServer(update));
  setInterval(() => dashboard.applyPage(), 1000);
  dashboard.applyPage();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
