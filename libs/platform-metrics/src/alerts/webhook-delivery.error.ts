/** A webhook receiver answered with a non-2xx status (network errors surface as fetch's own TypeError). */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`webhook ${url} answered ${status}`);
  }
}
