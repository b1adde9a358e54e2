import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header, type MessageEvent, Sse } from '@nestjs/common';
import type { DashboardSnapshot } from '@slipway/contracts';
import { DashboardService } from '@slipway/platform-metrics';
import { from, interval, type Observable, startWith, switchMap, map } from 'rxjs';

// Read once at start-up, like uPlot (a dependency): the page works offline, without a CDN. The page's files sit
// beside this controller in the source tree, and the build copies them beside its output.
const PAGE_DIR = join(__dirname, 'page');
const DASHBOARD_HTML = readFileSync(join(PAGE_DIR, 'dashboard.html'));
const DASHBOARD_JS = readFileSync(join(PAGE_DIR, 'dashboard.js'));
const UPLOT_JS = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'));
const UPLOT_CSS = readFileSync(require.resolve('uplot/dist/uPlot.min.css'));

/**
 * The page loads only its own scripts and styles and talks only to this service; no other site may frame it (click-
 * jacking), and no response is read as another type than it says.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // The page's own <style> block, by its hash; uPlot sets styles through the CSSOM, which CSP does not govern.
  `style-src 'self' ${inlineStyleHashes(DASHBOARD_HTML.toString('utf8')).join(' ')}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function inlineStyleHashes(html: string): string[] {
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`);
}

/** How often an open page gets a new snapshot: live enough to watch traffic, cheap for the registry behind it. */
const PUSH_INTERVAL_MS = 2_000;

/** The dashboard page at `/`, its scripts, and its data as JSON and as a server-sent event stream. */
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', PAGE_CSP)
  @Header('x-frame-options', 'DENY')
  @Header('x-content-type-options', 'nosniff')
  page(): Buffer {
    return DASHBOARD_HTML;
  }

  @Get('dashboard/app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  script(): Buffer {
    return DASHBOARD_JS;
  }

  @Get('dashboard/uplot.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'public, max-age=86400')
  uplotScript(): Buffer {
    return UPLOT_JS;
  }

  @Get('dashboard/uplot.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'public, max-age=86400')
  uplotStyles(): Buffer {
    return UPLOT_CSS;
  }

  @Get('api/dashboard')
  snapshot(): Promise<DashboardSnapshot> {
    return this.dashboard.snapshot();
  }

  @Sse('api/dashboard/events')
  events(): Observable<MessageEvent> {
    return interval(PUSH_INTERVAL_MS).pipe(
      startWith(0),
      switchMap(() => from(this.dashboard.snapshot())),
      map((data) => ({ type: 'snapshot', data })),
    );
  }
}
