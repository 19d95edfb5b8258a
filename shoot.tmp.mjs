import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const [w, h] = (process.env.SIZE ?? '1180x820').split('x').map(Number);
const ctx = await b.newContext({ viewport: { width: w, height: h }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
await ctx.addInitScript((lang) => localStorage.setItem('meekijken.language', lang), process.env.LANG_UI ?? 'nl');
const p = await ctx.newPage();
p.on('console', (m) => console.log('console', m.text()));
await p.goto('http://localhost:4183' + process.env.URL);
await p.waitForLoadState('networkidle');
if (process.env.SCROLL) { await p.evaluate((y) => scrollTo(0, y), Number(process.env.SCROLL)); await p.waitForTimeout(600); }
await p.screenshot({ path: process.env.OUT, fullPage: process.env.FULL === '1' });
await b.close();
