import base from '../playwright.config';
import { defineConfig } from '@playwright/test';

/** `npm run bench:page`: the page-load benchmark against `vite preview` (not part of npm test); with `linas-app` instead of `page-load`, LINAS in the app (bench/linas-app.spec.ts). */
export default defineConfig({ ...base, testDir: '.', testMatch: /(page-load|screenshot|linas-app|latency-warmup)\.spec\.ts/, reporter: [['list']] });
