// Experimental variants of the hand-written endpoint, to tell apart what Orka's HTTP overhead is made
// of (not run by default; `node dist/http/http.suite.js --variants hand,hand-interceptor,...`):
// - hand-interceptor: the hand-written endpoint plus one global pass-through interceptor: what a global
//   interceptor costs every route at the least (Nest's interceptor path: rxjs observables around every
//   handler call). OrkaModule installs one (OrkaHttpInterceptor) only when OrkaContext tracking is on;
//   errors of runs are mapped by an exception filter, which costs nothing until something throws;
// - hand-als: the hand-written endpoint plus AsyncLocalStorage, entered once per request by a
//   pass-through interceptor and read in the notify step: what request context costs on this Node
//   version, with no Orka at all.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Injectable,
  Module,
  ValidationPipe,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { Observable } from 'rxjs';
import { CheckoutService, HandOrdersController } from './hand.app.js';
import { MailerService, checkoutProviders } from './checkout.domain.js';

@Injectable()
export class PassThroughInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

const requestStorage = new AsyncLocalStorage<{ request: unknown }>();

@Injectable()
export class AlsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request: unknown = context.switchToHttp().getRequest();
    return new Observable((subscriber) =>
      requestStorage.run({ request }, () => next.handle().subscribe(subscriber)),
    );
  }
}

/** A mailer that tags each mail from the request context, as OrkaContext would. */
@Injectable()
export class AlsMailerService extends MailerService {
  override async send(to: string, subject: string, tag: string): Promise<void> {
    const store = requestStorage.getStore();
    return super.send(to, subject, store ? tag : 'none');
  }
}

const validation = {
  provide: APP_PIPE,
  useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
};

@Module({
  providers: [
    ...checkoutProviders,
    CheckoutService,
    validation,
    { provide: APP_INTERCEPTOR, useClass: PassThroughInterceptor },
  ],
  controllers: [HandOrdersController],
})
export class HandWithInterceptorModule {}

@Module({
  providers: [
    ...checkoutProviders.filter((p) => p !== MailerService),
    { provide: MailerService, useClass: AlsMailerService },
    CheckoutService,
    validation,
    { provide: APP_INTERCEPTOR, useClass: AlsInterceptor },
  ],
  controllers: [HandOrdersController],
})
export class HandWithAlsModule {}
