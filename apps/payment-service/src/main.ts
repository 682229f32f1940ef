import 'reflect-metadata';
import { runService } from '@npi/service-runtime';
import { paymentServiceDefinition } from './service';

void runService(paymentServiceDefinition);
