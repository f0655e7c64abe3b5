import base from '../playwright.config';
import { defineConfig } from '@playwright/test';

/** `npm run bench:page`: the page-load benchmark against `vite preview` (not part of npm test). */
export default defineConfig({ ...base, testDir: '.', testMatch: /(page-load|screenshot)\.spec\.ts/, reporter: [['list']] });
