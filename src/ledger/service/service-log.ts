/** The slice of a pino logger the service writes to; the server passes Fastify's. */
export interface ServiceLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** For tools and tests that run the service without a server. */
export const SILENT_LOG: ServiceLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
