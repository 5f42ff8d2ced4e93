// The coprocessor-node executable (wired up once the front ends land).
@main
struct NodeCommand {
    static func main() {}
}
