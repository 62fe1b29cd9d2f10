// The Apps API's failures. Spec 002 names no error shape; its clients are snake_case JSON clients
// of a resource API whose answers are bare objects and arrays, so a failure is one object under
// `error`, a key no resource has:
//   { "error": { "status": 400, "code": "invalid_request", "message": "image_url is required …",
//                "details": [{ "field": "image_url", "message": "image_url is required …" }],
//                "request_id": "req-1f" } }
// `code` is stable and machine-readable (one per kind of failure, below), `message` is always one
// string (the first problem), `details` lists every problem of a 400 with the field it is about
// (null when none) in this dialect's names, and `request_id` is what Berth's log records.
import { render, subjectOf } from '../../domain/wording.js';
import type { Phrase } from '../../domain/wording.js';
import type { ErrorPresenter } from '../error-presenter.js';
import type { FailureKind } from '../failure.js';
import { appsV1Fields, appsV1Words } from './apps-v1-words.js';

export const errorCodes: Record<FailureKind, string> = {
  invalid: 'invalid_request',
  validation: 'invalid_request',
  bad_json: 'invalid_json',
  bad_request: 'bad_request',
  too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  route_not_found: 'not_found',
  conflict: 'conflict',
  unavailable: 'unavailable',
  storage_full: 'insufficient_storage',
  internal: 'internal_error',
};

function fieldOf(problem: Phrase): string | null {
  const subject = subjectOf(problem);
  if (!subject) return null;
  return 'field' in subject ? appsV1Fields[subject.field] : subject.wire;
}

export interface AppsV1Error {
  error: {
    status: number;
    code: string;
    message: string;
    details: { field: string | null; message: string }[];
    request_id: string;
  };
}

export const appsV1Errors: ErrorPresenter = {
  present(failure, request) {
    const details = failure.problems.map((problem) => ({ field: fieldOf(problem), message: render(problem, appsV1Words) }));
    const body: AppsV1Error = {
      error: {
        status: failure.status,
        code: errorCodes[failure.kind],
        message: details[0]?.message ?? 'Error',
        details: failure.status === 400 ? details : [],
        request_id: String(request.id),
      },
    };
    return { status: failure.status, body };
  },
};
