from send_plan.entry import main

main()
