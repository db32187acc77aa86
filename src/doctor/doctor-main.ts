// `npm run doctor`: checks the set-up with the app's configuration, prints one line per check and
// exits 1 when anything failed.
import { formatReport } from "./doctor-check";
import { allPassed } from "./doctor";
import { runDoctorFromEnv } from "./doctor-from-env";

runDoctorFromEnv(process.env)
  .then((results) => {
    process.stdout.write(formatReport(results));
    process.exitCode = allPassed(results) ? 0 : 1;
  })
  .catch((error: unknown) => {
    process.stderr.write(`The doctor could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
