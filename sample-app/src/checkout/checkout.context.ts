import { Type } from 'class-transformer';
import { State } from '@orka/nestjs';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** One line of a cart. */
export class CartItem {
  @IsString() @Matches(/^sku-\d+$/) sku!: string;
  @IsInt() @Min(1) @Max(100) quantity!: number;
}

/** The context every step of one checkout run shares; the request body is validated into it. */
export class CheckoutContext {
  @IsString() customerId!: string;
  @IsIn(['standard', 'vip']) tier!: 'standard' | 'vip';
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => CartItem) items!: CartItem[];
  @IsString() paymentMethod!: string;
  @IsOptional() @IsString() orderId?: string;
  @IsOptional() @IsNumber() total?: number;
  @IsOptional() @IsString() paymentId?: string;
  @IsOptional() @IsString() gateway?: string;
  /** Who approved an order above the approval limit. */
  @State() approvedBy?: string;
}

/** The answer to an order that waits for approval: `POST /orders/:runId/approval`. */
export class ApprovalDto {
  @IsBoolean() approved!: boolean;
  @IsString() @Matches(/^\S.{0,79}$/) by!: string;
}
