import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { feedbackRequestSchema, type FeedbackResponse } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { LiveAccuracy } from '@slipway/platform-metrics';
import { RequiresScope } from '@slipway/service-kit';

@Controller('api')
export class FeedbackController {
  constructor(private readonly live: LiveAccuracy) {}

  /** True labels of sampled predictions: 404 names unknown ids, 400 names the bad field; nothing is applied on error. */
  @Post('feedback')
  @RequiresScope('feedback:write', 'send feedback')
  @HttpCode(200)
  feedback(@Body() body: unknown): FeedbackResponse {
    return this.live.applyFeedback(parseRequest(feedbackRequestSchema, body, 'body'));
  }
}
