/// Who is making the changes of the current task: the id of the token an HTTP request was
/// authorized by. Set by the daemon around each request; every event a write journals from that
/// task carries it (`RegistryEvent.token`), so a watcher and the audit log can say who changed
/// what. A task-local because the registry's write API is shared by every caller, and most
/// writes never need to know.
public enum ChangeAuthor {
    @TaskLocal public static var token: String?
}
