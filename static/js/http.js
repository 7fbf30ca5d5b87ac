// Attune: small helpers shared by the page scripts (plain ES modules, no build step).

// The JSON body of a response, or null when the answer is not our JSON (a redirect to the
// login page after the session ended, an error page, a body that does not parse).
export async function readJson(response) {
  const type = response.headers.get("Content-Type") || "";
  if (response.redirected || !type.includes("application/json")) {
    return null;
  }
  try {
    return await response.json();
  } catch {
    return null;
  }
}
