// The NestJS error body every client of the Dooor API parses (client-contract.md).

export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export function reasonPhrase(statusCode: number): string {
  return reasons[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Bad Request');
}

/**
 * A 400 always lists its problems, one string per problem, each once (as NestJS validation
 * answers), so a client reads every bad input the same way; other statuses carry one sentence.
 */
export function errorBody(statusCode: number, message: string | readonly string[]): ErrorBody {
  if (statusCode === 400) return { statusCode, message: [...new Set(typeof message === 'string' ? [message] : message)], error: reasonPhrase(statusCode) };
  return { statusCode, message: typeof message === 'string' ? message : [...message], error: reasonPhrase(statusCode) };
}
