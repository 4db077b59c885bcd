/** n8n-core writes its instance settings under N8N_USER_FOLDER: give each test run its own. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'sipcall-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.GENERIC_TIMEZONE ??= 'Asia/Shanghai';
