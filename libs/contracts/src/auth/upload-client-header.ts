/**
 * Multipart uploads are taken only with this header: a cross-site HTML form can post multipart, but a browser adds a
 * custom header only after a CORS preflight that no Slipway service grants.
 */
export const UPLOAD_CLIENT_HEADER = 'x-slipway-client';
