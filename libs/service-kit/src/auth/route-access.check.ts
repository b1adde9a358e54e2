import { Injectable, RequestMethod, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROUTE_ACCESS } from './route-access';

const SAFE = new Set([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

/**
 * Fails the start-up, naming each route, when a state-changing route declares neither a scope, an inference route
 * nor an open one: a new write can never ship unguarded by omission.
 */
@Injectable()
export class RouteAccessCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const unguarded = this.discovery.getControllers().flatMap(({ instance, metatype }) => {
      if (instance === undefined || instance === null || metatype === undefined || metatype === null) return [];
      const prototype = Object.getPrototypeOf(instance) as object;
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = (prototype as Record<string, unknown>)[name] as () => unknown;
        const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        if (method === undefined || SAFE.has(method) || this.reflector.get(ROUTE_ACCESS, handler) !== undefined) return [];
        const path = [this.reflector.get<unknown>(PATH_METADATA, metatype), this.reflector.get<unknown>(PATH_METADATA, handler)]
          .map((segment) => String(segment ?? '').replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/');
        return [`${RequestMethod[method]} /${path} (${metatype.name}.${name})`];
      });
    });
    if (unguarded.length > 0) {
      throw new Error(`state-changing routes without @RequiresScope, @InferenceRoute or @OpenRoute: ${unguarded.join('; ')}`);
    }
  }
}
