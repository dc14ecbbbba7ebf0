// The account page: upload a photo straight to R2 (presigned), and see processed uploads.
import { UPLOAD_POLICY } from "../../../shared/uploads/index.ts";
import { Layout } from "./layout.tsx";

const UPLOAD_MAX_BYTES = UPLOAD_POLICY.maxBytes;

export interface UploadRow {
  id: number;
  key: string;
  status: string;
  contentType: string;
  width: number | null;
  height: number | null;
  size: number | null;
}

export function AccountPage(props: { user: { id: number; tags: string[] }; uploads: UploadRow[] }) {
  return (
    <Layout title="My account" user={props.user}>
      <h1>My account</h1>
      <p class="muted">Tags: {props.user.tags.join(", ") || "none"}</p>
      <form method="post" action="/logout">
        <button type="submit">Sign out</button>
      </form>
      <h2>Your data</h2>
      <p class="muted">
        Both ask for a code we email you first. Deleting removes your account, registrations, uploads and
        sign-ins; your comments stay, signed "a former member".
      </p>
      <form method="post" action="/me/export">
        <button type="submit">Export my data</button>
      </form>
      <form method="post" action="/me/delete">
        <button type="submit" class="danger">
          Delete my account
        </button>
      </form>
      <h2>Upload a photo</h2>
      {/* Enhanced by site.js: presign → PUT straight to R2 → complete; the job then processes the photo. */}
      <form id="upload" data-upload data-max-bytes={String(UPLOAD_MAX_BYTES)}>
        <input type="file" name="file" accept="image/png,image/jpeg,image/webp,image/gif" required />
        <label>
          Event id <input name="eventId" type="number" min="1" />
        </label>
        <button type="submit">Upload</button>
        <output data-upload-status />
      </form>
      <h2>My uploads</h2>
      <ul class="uploads">
        {props.uploads.map((u) => (
          <li data-status={u.status}>
            {u.status === "ready" ? (
              <img
                src={`/media/${u.key}`}
                width={u.width ?? undefined}
                height={u.height ?? undefined}
                alt=""
              />
            ) : (
              <span>{u.key}</span>
            )}{" "}
            <span class="muted">
              {u.status}
              {u.width ? ` · ${u.width}×${u.height}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
