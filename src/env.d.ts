/// <reference types="vite/client" />

/** The app's version from package.json, and the id of this build (both set in vite.config.ts). */
declare const __APP_VERSION__: string;
declare const __BUILD_ID__: string;
/** The keys (`id@version`) of the shipped instruments, read from `instruments/` when the app is built. */
declare const __SHIPPED_INSTRUMENTS__: readonly string[];
