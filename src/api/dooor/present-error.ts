// The Dooor dialect's failures: NestJS bodies `{ statusCode, message, error }`, where a 400 lists
// every problem (client-contract.md) and names fields as this dialect's requests do.
import { render } from '../../domain/wording.js';
import type { Words } from '../../domain/wording.js';
import type { ErrorPresenter } from '../error-presenter.js';
import { dooorWords } from './dooor-words.js';
import { errorBody } from './nest-error-body.js';

/** NestJS bodies naming things in `words` (the REST dialect of spec 003 answers the same way). */
export const nestErrors = (words: Words): ErrorPresenter => ({
  present(failure) {
    const lines = failure.problems.map((problem) => render(problem, words));
    return { status: failure.status, body: errorBody(failure.status, lines.length === 1 ? (lines[0] ?? '') : lines) };
  },
});

export const dooorErrors: ErrorPresenter = nestErrors(dooorWords);
