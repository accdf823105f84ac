import { Controller, Get } from '@nestjs/common';
import { MailerService } from './fakes/mailer.service.js';

/** What the fake mailer sent. */
@Controller('mailbox')
export class MailboxController {
  constructor(private readonly mailer: MailerService) {}

  @Get()
  list() {
    return this.mailer.sent;
  }
}
