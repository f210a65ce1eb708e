import { useState } from "preact/hooks";
import { api, type Me } from "../api";
import { ErrorBox } from "../ui";

/** Sign-in with an API key; the backend keeps it in an HTTP-only cookie, so this page forgets it at once. */
export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem("apiKey") as HTMLInputElement;
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>("/api/session", { method: "POST", body: { apiKey: input.value } });
      input.value = "";
      onSignedIn(me);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Trackway console</h1>
        <p class="muted">Sign in with an API key of your tenant (<code>trackway keys create --tenant &lt;name&gt;</code>).</p>
        <label for="apiKey">API key</label>
        <input id="apiKey" name="apiKey" type="password" autocomplete="off" required autofocus placeholder="twk_…" />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        {error && <ErrorBox error={error} />}
      </form>
    </main>
  );
}
