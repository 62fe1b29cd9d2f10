// The Dooor dialect's failures: NestJS bodies `{ statusCode, message, error }`, where a 400 lists
// every problem (client-contract.md) and names fields as this dialect's requests do.
import { render } from '../../domain/wording.js';
import type { ErrorPresenter } from '../error-presenter.js';
import { dooorWords } from './dooor-words.js';
import { errorBody } from './nest-error-body.js';

export const dooorErrors: ErrorPresenter = {
  present(failure) {
    const lines = failure.problems.map((problem) => render(problem, dooorWords));
    return { status: failure.status, body: errorBody(failure.status, lines.length === 1 ? (lines[0] ?? '') : lines) };
  },
};
