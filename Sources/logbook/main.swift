import LogbookCLI

LogbookMain.run()
