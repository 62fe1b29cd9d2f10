// The logging the core and engine need, pino-compatible (fields first, then the message), so
// main.ts can hand Berth's pino logger straight through.
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
