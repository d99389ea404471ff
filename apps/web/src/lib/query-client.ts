import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

let onUnauthorized: () => void = () => undefined;
/** What to do when a query finds the session gone (set once the router exists). */
export const setUnauthorizedHandler = (fn: () => void) => {
  onUnauthorized = fn;
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      // A signed-in page whose session timed out: back to sign-in (GET /auth/me itself answers null).
      const isMe = query.queryKey[0] === 'auth' && query.queryKey[1] === 'me';
      if (err instanceof ApiError && err.status === 401 && !isMe) onUnauthorized();
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx will answer the same again; only retry what may be transient.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
});
