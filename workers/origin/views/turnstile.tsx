// Cloudflare Turnstile's widget: its script and the box that fills the form's cf-turnstile-response field.
export type TurnstileWidget = { siteKey: string | null; scriptUrl: string };

export function Turnstile(props: { widget: TurnstileWidget }) {
  if (!props.widget.siteKey) return null;
  return (
    <>
      <script src={props.widget.scriptUrl} async defer />
      <div class="cf-turnstile" data-sitekey={props.widget.siteKey} />
    </>
  );
}
