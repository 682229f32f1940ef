import { describeBrokerSemantics } from '../testing/broker-semantics';
import { InProcessBroker } from './in-process-broker';

describeBrokerSemantics('InProcessBroker', () => new InProcessBroker(), 5_000);
