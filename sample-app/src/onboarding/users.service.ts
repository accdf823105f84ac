import { HttpStatus, Injectable } from '@nestjs/common';
import { MapToHttp } from '@orka/nestjs';

/** The email is taken. */
@MapToHttp(HttpStatus.CONFLICT, { code: 'USER_EXISTS' })
export class UserExistsError extends Error {
  override name = 'UserExistsError';
}

/** A user of the demo. */
export interface User {
  id: string;
  email: string;
  planType: string;
  workspaceId?: string;
}

/** An in-memory user store. */
@Injectable()
export class UsersService {
  private readonly users = new Map<string, User>();
  private count = 0;

  async exists(email: string): Promise<boolean> {
    return [...this.users.values()].some((u) => u.email === email);
  }

  async create(email: string, planType: string): Promise<string> {
    if (await this.exists(email)) throw new UserExistsError(`A user with email ${email} already exists.`);
    const id = `user-${++this.count}`;
    this.users.set(id, { id, email, planType });
    return id;
  }

  async remove(id: string): Promise<void> {
    this.users.delete(id);
  }

  attachWorkspace(id: string, workspaceId: string): void {
    const user = this.users.get(id);
    if (user) user.workspaceId = workspaceId;
  }

  find(id: string): User | undefined {
    return this.users.get(id);
  }

  all(): User[] {
    return [...this.users.values()];
  }
}
