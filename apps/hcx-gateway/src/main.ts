import 'reflect-metadata';
import { runService } from '@npi/service-runtime';
import { hcxServiceDefinition } from './service';

void runService(hcxServiceDefinition);
