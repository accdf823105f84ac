// The anchor for request context (issue: OrkaContext against nestjs-cls): the hand-written endpoint
// with nestjs-cls, the request context library most Nest applications use, mounted as its README
// recommends (its middleware on every route), the request put in its store and read back where the
// mail is tagged, as the OrkaContext variant reads the run there. Same controller, services and
// ValidationPipe as the hand-written endpoint.
import { Injectable, Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ClsModule, ClsService } from 'nestjs-cls';
import { CheckoutService, HandOrdersController } from './hand.app.js';
import { MailerService, checkoutProviders } from './checkout.domain.js';

/** A mailer that tags each mail from the request in nestjs-cls's store. */
@Injectable()
export class ClsMailerService extends MailerService {
  constructor(private readonly cls: ClsService) {
    super();
  }

  override async send(to: string, subject: string, tag: string): Promise<void> {
    return super.send(to, subject, this.cls.get('request') !== undefined ? tag : 'none');
  }
}

@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: { mount: true, setup: (cls, request: unknown) => cls.set('request', request) },
    }),
  ],
  providers: [
    ...checkoutProviders.filter((p) => p !== MailerService),
    { provide: MailerService, useClass: ClsMailerService },
    CheckoutService,
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    },
  ],
  controllers: [HandOrdersController],
})
export class HandWithClsModule {}
