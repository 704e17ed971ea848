import { ApiError } from '$lib/api';

// The file goes up as the request body with XMLHttpRequest, the one browser
// API that reports upload progress (fetch does not); errors come back as
// the API's own, like call() gives them.
export function uploadFile(importId: string, file: File, csrfToken: string, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/imports/${importId}/file`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let error: { code?: string; message?: string; details?: unknown } | undefined;
      try {
        error = (JSON.parse(xhr.responseText) as { error?: typeof error }).error;
      } catch {
        // Not our JSON: a proxy's page.
      }
      reject(new ApiError(xhr.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${xhr.status}`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Could not reach the server; check your connection and try again'));
    xhr.send(file);
  });
}
