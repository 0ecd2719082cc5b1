import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import type { Assistant } from '../../app/assistant.js';
import type { Logger } from '../../core/logger.js';
import { decodeText } from '../../ingestion/decode.js';
import type { DocumentCatalog } from './documents.js';
import { webAudience } from './auth.js';
import { contentDisposition, sendError, sendThrown } from './http-utils.js';
import type { JobRunner } from './jobs.js';
import { receiveUpload } from './uploads.js';

/**
 * Documents: the list, the original file behind a citation, the passages of a
 * page, uploads and their indexing jobs. Files are only reached through the
 * index (by id), only when the Assistant's policy lets this user see them
 * (a private document answers 404, as if it did not exist), and uploads only
 * land in <dataDir>/uploads.
 */
export interface DocumentRouteDeps {
  logger: Logger;
  /** Decides which documents each user may list and open (channel scopes). */
  assistant: Pick<Assistant, 'documentFilter'>;
  dataDir: string;
  catalog: DocumentCatalog;
  jobs: JobRunner;
  maxUploadBytes: number;
}

export function registerDocumentRoutes(router: express.Router, guard: express.RequestHandler, d: DocumentRouteDeps): void {
  router.get('/api/documents', guard, (_req, res) => {
    try {
      res.json(d.catalog.list(d.assistant.documentFilter(webAudience(res))));
    } catch (e) {
      sendThrown(res, e, d.logger, 'la liste des documents');
    }
  });

  router.post('/api/documents', guard, async (req, res) => {
    // A raw body (not a form): cross-site forms cannot send this type, which keeps uploads safe from CSRF.
    if (!req.is('application/octet-stream')) {
      req.resume();
      sendError(res, 415, 'BAD_REQUEST', 'Envoyez le fichier brut (Content-Type: application/octet-stream) avec son nom dans le paramètre « nom ».');
      return;
    }
    const name = typeof req.query['nom'] === 'string' ? req.query['nom'] : req.get('x-file-name') ?? '';
    const declared = Number(req.get('content-length'));
    try {
      const file = await receiveUpload(req, name, {
        dataDir: d.dataDir, maxBytes: d.maxUploadBytes, ...(Number.isFinite(declared) ? { declaredLength: declared } : {}),
      });
      const job = d.jobs.submit(file);
      res.status(202).location(`/api/jobs/${job.id}`).json({ job });
    } catch (e) {
      sendThrown(res, e, d.logger, "l'envoi du document");
    }
  });

  router.get('/api/jobs/:id', guard, (req, res) => {
    const job = d.jobs.get(String(req.params['id']));
    if (!job) { sendError(res, 404, 'NOT_FOUND', "Cette indexation est inconnue (le service a peut-être redémarré) : rechargez la liste des documents."); return; }
    res.json({ job });
  });

  router.get('/api/documents/:id/passages', guard, (req, res) => {
    const page = typeof req.query['page'] === 'string' && /^\d{1,5}$/.test(req.query['page']) ? Number(req.query['page']) : null;
    const found = d.catalog.passages(String(req.params['id']), page, d.assistant.documentFilter(webAudience(res)));
    if (!found) { sendError(res, 404, 'NOT_FOUND', 'Document introuvable dans la base : il a peut-être été retiré.'); return; }
    res.json(found);
  });

  router.get('/api/documents/:id/raw', guard, (req, res) => {
    const doc = d.catalog.file(String(req.params['id']), d.assistant.documentFilter(webAudience(res)));
    if (!doc) { sendError(res, 404, 'NOT_FOUND', 'Document introuvable dans la base : il a peut-être été retiré.'); return; }
    const ext = path.extname(doc.fileName).toLowerCase();
    try {
      if (ext === '.pdf') {
        streamFile(res, doc.absPath, 'application/pdf', contentDisposition('inline', doc.fileName));
      } else if (ext === '.md' || ext === '.markdown' || ext === '.txt' || ext === '.text') {
        const { text } = decodeText(fs.readFileSync(doc.absPath), doc.fileName);
        res.type('text/plain; charset=utf-8').set('Content-Disposition', contentDisposition('inline', doc.fileName)).send(text);
      } else if (ext === '.html' || ext === '.htm') {
        const { text } = decodeText(fs.readFileSync(doc.absPath), doc.fileName);
        // An uploaded page must never run scripts on the console's origin.
        res.set('Content-Security-Policy', "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'");
        res.type('text/html; charset=utf-8').set('Content-Disposition', contentDisposition('inline', doc.fileName)).send(text);
      } else if (ext === '.docx') {
        streamFile(res, doc.absPath, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', contentDisposition('attachment', doc.fileName));
      } else {
        streamFile(res, doc.absPath, 'application/octet-stream', contentDisposition('attachment', doc.fileName));
      }
    } catch (e) {
      sendThrown(res, e, d.logger, "l'ouverture du document");
    }
  });
}

function streamFile(res: express.Response, file: string, type: string, disposition: string): void {
  const size = fs.statSync(file).size;
  res.status(200).set({ 'Content-Type': type, 'Content-Length': String(size), 'Content-Disposition': disposition });
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
