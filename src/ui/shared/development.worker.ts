/**
 * The Rasch estimation and next steps, off the main thread: a school's years of observations take a moment to
 * estimate, and the screen must never freeze meanwhile. It lives as long as the page and keeps the data it was sent
 * (development-service.ts); input and output are plain data and typed arrays (src/core/insight).
 */
import { developmentService, type DevelopmentRequest } from './development-service';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DevelopmentRequest>) => void) | null;
  postMessage(data: unknown): void;
};
const serve = developmentService();
scope.onmessage = (event) => scope.postMessage(serve(event.data));
