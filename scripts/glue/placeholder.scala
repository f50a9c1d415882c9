// AWS Glue needs a ScriptLocation even for a job whose code is a JVM main class. The job's real entry
// point is given by --class (e.g. io.shoplake.jobs.TransactionEtlJob) from the jar in --extra-jars;
// this object is never run.
object Placeholder {
  def main(args: Array[String]): Unit = ()
}
