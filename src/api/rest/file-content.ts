// File contents on the wire: text as UTF-8, anything else (binary, or text that is not valid
// UTF-8) as base64 with `encoding: "base64"`; the content type from the file's extension.
import { DomainError } from '../../domain/errors.js';
import { say, wire } from '../../domain/wording.js';

const types: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  cjs: 'text/javascript',
  jsx: 'text/jsx',
  ts: 'text/typescript',
  tsx: 'text/tsx',
  json: 'application/json',
  md: 'text/markdown',
  txt: 'text/plain',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  xml: 'application/xml',
  wasm: 'application/wasm',
};

export function contentTypeOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && types[ext]) ?? 'application/octet-stream';
}

/** Text when the bytes are UTF-8 with no NUL, else base64. */
export function presentContent(content: Buffer): { content: string; encoding: 'utf8' | 'base64' } {
  const text = content.includes(0) ? null : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content, { stream: false });
  return text === null ? { content: content.toString('base64'), encoding: 'base64' } : { content: text, encoding: 'utf8' };
}

export function decodeContent(content: string, encoding: 'utf8' | 'base64' | undefined): Buffer {
  if (encoding !== 'base64') return Buffer.from(content, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) throw new DomainError('invalid', say`${wire('content')} is not valid base64`);
  return Buffer.from(content, 'base64');
}
