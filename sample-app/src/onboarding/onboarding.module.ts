import { Module } from '@nestjs/common';
import { OnboardingPipeline } from './onboarding.pipeline.js';
import { BasicProvisioningPipeline, PremiumProvisioningPipeline } from './provisioning.pipelines.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [OnboardingPipeline, BasicProvisioningPipeline, PremiumProvisioningPipeline, UsersService],
  controllers: [UsersController],
})
export class OnboardingModule {}
