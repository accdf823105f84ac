import { IsBoolean, IsEmail, IsIn, IsOptional, IsString } from 'class-validator';

/** The context every step of one onboarding run shares; the request body is validated into it. */
export class OnboardingContext {
  @IsEmail() email!: string;
  @IsIn(['basic', 'premium']) planType!: 'basic' | 'premium';
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() provisioningStatus?: string;
  @IsOptional() @IsBoolean() welcomeEmailSent?: boolean;
  @IsOptional() @IsBoolean() followUpSent?: boolean;
}

/** What the provisioning sub-pipelines work on: only what they need. */
export class ProvisioningContext {
  @IsString() userId!: string;
  @IsOptional() @IsString() workspaceId?: string;
  @IsOptional() @IsString() status?: string;
}
