import { transportConformance } from "../../_conformance/transport_conformance.ts";
import { VirtualBus } from "../../../sim/mod.ts";

transportConformance(
  "InProcessEndpoint (fast mode, bus monitor as peer)",
  () => {
    const bus = new VirtualBus();
    return Promise.resolve({
      transport: bus.connect({ paced: false }),
      peer: bus.monitor(),
    });
  },
);
