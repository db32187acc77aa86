// The Slack stand-in's file uploads, as Slack's three steps work: files.getUploadURLExternal
// (filename and length required) hands out an upload URL and a file id; the bytes are POSTed to
// that URL (Slack answers 200 "OK - <length>"); files.completeUploadExternal shares the uploaded
// files in a channel (and thread). A file not uploaded first cannot be completed.
import crypto from "node:crypto";
import type http from "node:http";
import { z } from "zod";

export interface SharedFile {
  id: string;
  filename: string;
  title: string;
  channel: string | null;
  threadTs: string | null;
  initialComment: string | null;
  content: string;
}

interface PendingUpload {
  id: string;
  filename: string;
  length: number;
  content: string | null;
}

const uploadUrlArgs = z.object({ filename: z.string().min(1), length: z.coerce.number().int().positive() });
const completeArgs = z.object({
  files: z.union([z.string(), z.array(z.unknown())]),
  channel_id: z.string().optional(),
  thread_ts: z.string().optional(),
  initial_comment: z.string().optional(),
});
const fileRefs = z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1);

export class LocalSlackFiles {
  readonly shared: SharedFile[] = [];
  private readonly uploads = new Map<string, PendingUpload>();

  /** files.* Web API methods; null when the method is not a files one */
  call(method: string, body: Record<string, unknown>, baseUrl: string): Record<string, unknown> | null {
    if (method === "files.getUploadURLExternal") {
      const args = uploadUrlArgs.safeParse(body);
      if (!args.success) return { ok: false, error: "invalid_arguments" };
      const id = `F${crypto.randomBytes(5).toString("hex").toUpperCase()}`;
      this.uploads.set(id, { id, filename: args.data.filename, length: args.data.length, content: null });
      return { ok: true, upload_url: `${baseUrl}/upload/${id}`, file_id: id };
    }
    if (method === "files.completeUploadExternal") {
      const args = completeArgs.safeParse(body);
      if (!args.success) return { ok: false, error: "invalid_arguments" };
      let refs: z.infer<typeof fileRefs>;
      try {
        const parsed = fileRefs.safeParse(typeof args.data.files === "string" ? JSON.parse(args.data.files) : args.data.files);
        if (!parsed.success) return { ok: false, error: "invalid_arguments" };
        refs = parsed.data;
      } catch {
        return { ok: false, error: "invalid_arguments" };
      }
      const uploads = refs.map((ref) => this.uploads.get(ref.id));
      if (uploads.some((u) => !u || u.content === null)) return { ok: false, error: "file_not_found" };
      const files = refs.map((ref, i) => {
        const upload = uploads[i] as PendingUpload;
        this.uploads.delete(upload.id);
        const file: SharedFile = {
          id: upload.id,
          filename: upload.filename,
          title: ref.title ?? upload.filename,
          channel: args.data.channel_id ?? null,
          threadTs: args.data.thread_ts ?? null,
          initialComment: args.data.initial_comment ?? null,
          content: upload.content ?? "",
        };
        this.shared.push(file);
        return { id: file.id, name: file.filename, title: file.title };
      });
      return { ok: true, files };
    }
    return null;
  }

  /** POST to an upload URL; false when the path is not one */
  async upload(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
    if (req.method !== "POST" || !path.startsWith("/upload/")) return false;
    const pending = this.uploads.get(path.slice("/upload/".length));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!pending) {
      res.writeHead(404).end("upload not found");
      return true;
    }
    const raw = Buffer.concat(chunks);
    const contentType = req.headers["content-type"] ?? "";
    let content = raw.toString("utf8");
    if (contentType.includes("multipart/form-data")) {
      // the Web API client sends the bytes as a form's file field
      const form = await new Request("http://local/upload", { method: "POST", headers: { "content-type": contentType }, body: raw }).formData();
      const part = [...form.values()].find((value) => typeof value !== "string");
      if (part && typeof part !== "string") content = await part.text();
    }
    pending.content = content;
    res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${Buffer.byteLength(content)}`);
    return true;
  }
}
