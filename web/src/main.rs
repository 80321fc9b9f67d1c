fn main() {
    checkout_widget::start();
}
