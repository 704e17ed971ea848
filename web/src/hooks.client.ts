import type { HandleClientError } from '@sveltejs/kit';

// SvelteKit's default for an unexpected error is "Internal Error"; in a
// browser-only app the real message (e.g. the server is unreachable) is
// safe to show and far more useful.
export const handleError: HandleClientError = ({ error, message }) => ({
  message: error instanceof Error ? error.message : message,
});
