// `npm run openapi`: writes docs/openapi.json from the same schemas that validate requests,
// so the checked-in document changes exactly when the API does (test/openapi.test.ts checks).
import fs from 'node:fs';
import path from 'node:path';
import { generateOpenApi, openApiFile, stableJson } from './openapi-document.js';

const target = path.resolve(import.meta.dirname, '..', openApiFile);
const text = await stableJson(await generateOpenApi());
const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`${openApiFile}: ${before === text ? 'unchanged' : 'written'} (${Buffer.byteLength(text)} bytes)`);
