import 'reflect-metadata';
import { runService } from '@npi/service-runtime';
import { authServiceDefinition } from './service';

void runService(authServiceDefinition);
