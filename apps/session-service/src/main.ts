import 'reflect-metadata';
import { runService } from '@npi/service-runtime';
import { sessionServiceDefinition } from './service';

void runService(sessionServiceDefinition);
