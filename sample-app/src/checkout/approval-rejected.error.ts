import { HttpStatus } from '@nestjs/common';
import { MapToHttp } from '@orka/nestjs';

/** The person who was asked said no: the order fails, and its stock is released. */
@MapToHttp(HttpStatus.CONFLICT, { code: 'APPROVAL_REJECTED' })
export class ApprovalRejectedError extends Error {
  override name = 'ApprovalRejectedError';
}
