/**
 * Every HTTP route of every app (and of the shared runtime: health, metrics) names who may call it
 * with a decorator of libs/auth-guards: `@NpiMember()`, `@Operator()`, `@HcxParticipant()`,
 * `@HcxOperator()`, `@FromHcxGateway()`, or `@Public()` for a route that is open or authenticates
 * the caller in its own protocol. The decorators are read from the classes Nest would register, so
 * a route that forgot its decorator, or a policy set without its guard, fails here.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Controller, Get, SetMetadata } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AUTH_POLICY, HcxAccessGuard, HcxGatewayTokenGuard, NpiMember, NpiMemberGuard, OperatorGuard, Public } from '@npi/auth-guards';
import type { AuthPolicy } from '@npi/auth-guards';

const ROOT = path.resolve(__dirname, '..', '..');

const GUARD_OF: Record<Exclude<AuthPolicy, 'public'>, unknown> = {
  'npi-member': NpiMemberGuard,
  operator: OperatorGuard,
  'hcx-participant': HcxAccessGuard,
  'hcx-operator': HcxAccessGuard,
  'hcx-participant-or-operator': HcxAccessGuard,
  'hcx-gateway': HcxGatewayTokenGuard,
};

type Constructor = abstract new (...args: never[]) => unknown;

/** The routes of a controller class that have no auth-guards decorator (or a policy without its guard). */
export function unguardedRoutes(controller: Constructor): string[] {
  const problems: string[] = [];
  const prototype = controller.prototype as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(prototype)) {
    const handler = Object.getOwnPropertyDescriptor(prototype, key)?.value as unknown;
    if (key === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
    const route = `${controller.name}.${key}`;
    const policy = (Reflect.getMetadata(AUTH_POLICY, handler) ?? Reflect.getMetadata(AUTH_POLICY, controller)) as AuthPolicy | undefined;
    if (policy === undefined) {
      problems.push(`${route}: no guard decorator from libs/auth-guards and not @Public()`);
      continue;
    }
    if (policy === 'public') continue;
    const guards = [...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[]) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
    if (!guards.includes(GUARD_OF[policy])) problems.push(`${route}: policy ${policy} without its guard`);
  }
  return problems;
}

function controllerFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', 'apps/*/src/**.ts', 'libs/*/src/**.ts'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  return listed.filter((file) => file.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(file) && !file.includes('/generated/'));
}

describe('route guards', () => {
  it('finds a route without a decorator, and a policy without its guard', () => {
    @Controller('open')
    class Forgotten {
      @Get()
      route(): void {
        return undefined;
      }
    }
    @Controller('faked')
    @NpiMember()
    class Faked {
      @Get('a')
      @Public()
      open(): void {
        return undefined;
      }

      @Get('b')
      @SetMetadata(AUTH_POLICY, 'operator')
      operator(): void {
        return undefined;
      }
    }
    expect(unguardedRoutes(Forgotten)).toEqual(['Forgotten.route: no guard decorator from libs/auth-guards and not @Public()']);
    expect(unguardedRoutes(Faked)).toEqual(['Faked.operator: policy operator without its guard']);
  });

  it('every HTTP route of apps/ and libs/ has a guard decorator of libs/auth-guards or @Public()', () => {
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const controllers: Constructor[] = [];
    for (const file of controllerFiles()) {
      if (!/@Controller\(/.test(fs.readFileSync(path.join(ROOT, file), 'utf8'))) continue;
      const exported = jest.requireActual<Record<string, unknown>>(path.join(ROOT, file));
      for (const value of Object.values(exported)) {
        if (typeof value === 'function' && Reflect.getMetadata(PATH_METADATA, value) !== undefined) controllers.push(value as Constructor);
      }
    }
    // Sanity: the scan saw the controllers of every app (a broken scan must not pass silently).
    expect(controllers.length).toBeGreaterThanOrEqual(25);
    expect(controllers.flatMap((controller) => unguardedRoutes(controller))).toEqual([]);
  });
});
